package org.attentionzoo.util;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseShapeInfoProvider;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.api.shape.options.ArrayType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ND4J's shape information (the descriptor every array carries: shape, strides, order, data type), cached for
 * every way ND4J asks for it. Each new {@code INDArray} asks its {@link ShapeInfoProvider}; in 1.0.0-M2.1 the
 * CPU backend's {@code DirectShapeInfoProvider} caches only the overload that takes packed "extras" (and at most
 * 1000 entries), while {@code BaseNDArray}'s constructors call the one that takes a data type, which builds the
 * descriptor natively every time: two JavaCPP pointers, each registered with JavaCPP's deallocator, which asks the
 * kernel for the process's resident size under a global lock ({@code Pointer.physicalBytesInaccurate}). That is a
 * large share of batch-1 Transformer decoding, whose steps create a few hundred small arrays each.
 *
 * <p>The descriptors are libnd4j constants either way (its {@code ConstantShapeHelper} keeps each distinct one for
 * the life of the process), so the cache holds Java handles on memory that exists anyway; past
 * {@value #MAX_ENTRIES} entries it starts over. {@link #install} puts it in ND4J's place: {@code Nd4j} has no
 * setter, so the static field is set by reflection, once; if that fails (another ND4J version), ND4J's own provider
 * stays and a warning says so. The system property {@value #DISABLE_PROPERTY}{@code =false} leaves ND4J's in place.
 * Nothing in the library installs it by itself: {@link org.attentionzoo.AttentionZoo#configure()} does (the command
 * line and the examples call it), or an application that wants it.
 */
public final class ShapeInfoCache extends BaseShapeInfoProvider {

    /** Set to {@code false} to keep ND4J's own shape-information provider. */
    public static final String DISABLE_PROPERTY = "attentionzoo.shapeInfoCache";

    static final int MAX_ENTRIES = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(ShapeInfoCache.class);

    private final Map<LongShapeDescriptor, Pair<DataBuffer, long[]>> cache = new ConcurrentHashMap<>();

    private ShapeInfoCache() {
    }

    /** Makes this cache ND4J's shape-information provider, unless it is already or the property says not to. */
    public static synchronized void install() {
        if (!Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"))
                || Nd4j.getShapeInfoProvider() instanceof ShapeInfoCache) {
            return;
        }
        try {
            Field provider = Nd4j.class.getDeclaredField("shapeInfoProvider");
            provider.setAccessible(true);
            provider.set(null, new ShapeInfoCache());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("could not install the shape-information cache ({}); every new array builds its shape natively", e.toString());
        }
    }

    /** Whether ND4J uses this cache now. */
    public static boolean installed() {
        return Nd4j.getShapeInfoProvider() instanceof ShapeInfoCache;
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride, char order,
                                                          DataType dataType, boolean empty) {
        long extras = ArrayOptionsHelper.setOptionBit(0L, dataType);
        if (empty) {
            extras = ArrayOptionsHelper.setOptionBit(extras, ArrayType.EMPTY);
        }
        LongShapeDescriptor key = new LongShapeDescriptor(shape, stride, 0, elementWiseStride, order, extras);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached == null) {
            cached = super.createShapeInformation(shape, stride, elementWiseStride, order, dataType, empty);
            remember(key, cached);
        }
        return cached;
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride, char order,
                                                          long extras) {
        LongShapeDescriptor key = new LongShapeDescriptor(shape, stride, 0, elementWiseStride, order, extras);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached == null) {
            cached = super.createShapeInformation(shape, stride, elementWiseStride, order, extras);
            remember(key, cached);
        }
        return cached;
    }

    private void remember(LongShapeDescriptor key, Pair<DataBuffer, long[]> info) {
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, info);
    }

    /** How many descriptors are cached. */
    int size() {
        return cache.size();
    }

    @Override
    public void purgeCache() {
        cache.clear();
    }
}
