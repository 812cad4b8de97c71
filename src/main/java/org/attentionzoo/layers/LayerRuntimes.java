package org.attentionzoo.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

/**
 * Configuration copies for the zoo's subclasses of DL4J layers ({@link #copyConfiguration}), and
 * what a layer configuration's {@code instantiate} does to the runtime layer it creates, written once for
 * the zoo's layers (DL4J's own configurations each repeat it): its index, its view of the network's flat
 * parameter array, the parameter table its initializer carves from that view, its configuration and,
 * where given, the training listeners.
 */
public final class LayerRuntimes {

    private LayerRuntimes() {
    }

    /**
     * @param layer            the new runtime layer
     * @param conf             the layer's configuration, whose {@code initializer()} lays out the parameters
     * @param nnConf           the network-level configuration DL4J passes to {@code instantiate}
     * @param listeners        training listeners to set, or null to leave them unset
     * @param paramsView       this layer's slice of the network's parameters
     * @param initializeParams whether to initialise the parameters (false when they are loaded)
     * @return {@code layer}
     */
    public static <L extends Layer> L wire(L layer, org.deeplearning4j.nn.conf.layers.Layer conf,
                                           NeuralNetConfiguration nnConf, Collection<TrainingListener> listeners,
                                           int index, INDArray paramsView, boolean initializeParams) {
        if (listeners != null) {
            layer.setListeners(listeners);
        }
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.initializer().init(nnConf, paramsView, initializeParams));
        layer.setConf(nnConf);
        return layer;
    }

    /**
     * Copies every instance field that {@code type} and its superclasses declare from {@code source} into
     * {@code target}: how the zoo's subclasses of DL4J configurations ({@link GemmOutputLayer}, {@link GemmLstm})
     * take a configuration built by DL4J's builder, which cannot build a subclass.
     *
     * @return {@code target}
     */
    public static <C, T extends C> T copyConfiguration(C source, T target, Class<C> type) {
        try {
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        f.set(target, f.get(source));
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot copy the " + type.getSimpleName() + " configuration", e);
        }
        return target;
    }
}
