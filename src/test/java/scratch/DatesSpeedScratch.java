package scratch;

import org.attentionzoo.TinyModels;
import org.attentionzoo.data.*;
import org.attentionzoo.models.*;
import org.attentionzoo.train.*;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import java.util.*;

class DatesSpeedScratch {
    @Test
    void time() {
        Task task = Tasks.forName("dates");
        List<SentencePair> train = task.generate(3000, 11);
        for (int threads : new int[]{1, 2}) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            for (int h : new int[]{128, 256}) {
                ModelCard card = Seq2Seq.builder().embeddingSize(64).hiddenSize(h).build();
                TranslationModel model = TinyModels.untrained(card, task, train);
                TeacherForcingIterator it = TrainingData.batches(model, train, 64, 50, 1);
                List<MultiDataSet> batches = new ArrayList<>();
                while (it.hasNext()) batches.add(it.next());
                for (int i = 0; i < 5; i++) model.graph().fit(batches.get(i));
                long t0 = System.nanoTime();
                for (int i = 0; i < 20; i++) model.graph().fit(batches.get(i));
                System.out.printf("threads %d hidden %d: fit %.1f ms/batch%n", threads, h, (System.nanoTime() - t0) / 1e6 / 20);
            }
        }
    }
}
