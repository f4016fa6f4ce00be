// loss-pages-sampled.js: the data of the sampled losses' live page
// (web/losses/sampled.html: xent.sampledSoftmaxLoss and xent.nceLoss, with the
// sampler xent.logUniformCandidateSampler), in the shape of a FAMILIES entry of
// web/loss-pages.js, which imports it and renders the page. What it computes
// is docs/semantics.md 3.5 in short. These losses have no entry in the
// decision table's LOSSES (a Keras loss receives y_true and y_pred; these take
// the last layer's inputs, weights and biases), so their equivalents are
// written here; `losses` names the full softmax loss the recommender gives for
// the same problem, the one to evaluate with. Checked against upstream: the
// tf.nn signatures (TensorFlow's API pages), no such loss in keras.losses
// (Keras 3.16 source), in TF.js 4.22 or in torch.nn. The preset opens the
// explorer in the 'sampled-softmax' lesson's state (whose `open` unfolds the
// Sampled softmax panel) with numSampled 16, where the bias is large, and
// hides every other panel (the page states the recommender's advice itself).

const XENT_ARGS = 'weights, biases, labels, inputs, numSampled: 64, numClasses, seed: step, gradient: true';

export const SAMPLED = Object.freeze({
  title: 'Sampled softmax and NCE',
  losses: ['scce-logits'],
  sampled: true,
  computes: [
    'For training a classifier over a vocabulary too large to score at every step. Instead of all numClasses logits, a step computes, from the last layer\'s inputs h, weights W [numClasses, dim] and biases b, the logits of each example\'s numTrue true classes and of numSampled classes drawn once per batch and shared by every example: z_c = h · W[c] + b[c] − log Q(c), where Q(c) is the class\'s expected count under the sampler (the log Q correction, subtract_log_q, which TensorFlow always applies). A sampled class that is one of the example\'s true classes (an accidental hit) is removed when remove_accidental_hits is on: by default for sampled softmax (True), not for NCE (False). The targets are 1/numTrue on each true column and 0 on the sampled ones.',
    'Sampled softmax is the softmax cross-entropy over those numTrue + numSampled columns, logsumexp(z) − (1/numTrue) Σ_t z_t. NCE is the sum over the same columns of the logistic loss max(z, 0) − z·y + log(1 + e^−|z|): one yes/no question per column, not a softmax. The gradient reaches only the true and sampled rows of W and b.',
    'The default sampler is log-uniform (Zipfian) over classes numbered from the most frequent (id 0): P(k) = (log(k + 2) − log(k + 1)) / log(numClasses + 1), drawn until numSampled distinct classes are found; a class\'s expected count is then 1 − (1 − P(k))^numTries, numTries being the draws it took (P(k) · numSampled when no draw repeated).',
    'The result is a biased estimate of the full softmax loss, usually below it, that changes with the sample; the bias shrinks as numSampled grows. It is for training only: evaluate, validate and report with the full softmax loss over all the logits.',
  ],
  preset: { lesson: 'sampled-softmax', problem: 'multiclass', labels: 'integer', output: 'logits', 'from-logits': 'true', 'huge-vocabulary': 'true', 'sampled-num': '16' },
  hide: 'lessons choose recommend live shapes imbalance metrics curves learn numerics paste',
  when: [
    'Tens of thousands of classes and more (the next word or token over a large vocabulary, items in a large catalogue, extreme classification), where computing every logit and its softmax dominates a training step.',
    'Not with a few hundred or a few thousand classes: the full softmax is affordable there, exact, and free of sampling noise.',
    'Never for evaluation, validation loss, early stopping or the numbers you report: use the full softmax loss there (the last table below).',
  ],
  equivalents: [
    { id: 'sampled-softmax', label: 'sampled softmax', rows: [
      ['Keras 3', 'none: keras.losses has no sampled softmax', 'A Keras loss receives (y_true, y_pred), but the sampled losses need the last layer\'s inputs, weights and biases: with the TensorFlow backend, call tf.nn.sampled_softmax_loss in a custom layer or train step that holds the class weights.'],
      ['tf.nn', 'tf.nn.sampled_softmax_loss(weights=W, biases=b, labels=y, inputs=h, num_sampled=64, num_classes=C, num_true=1, sampled_values=None, remove_accidental_hits=True, seed=None)', 'W [num_classes, dim] (or a list of shards), b [num_classes], y int64 [batch_size, num_true], h [batch_size, dim]; returns the per-example losses [batch_size], no reduction. Without sampled_values it samples with tf.random.log_uniform_candidate_sampler (unique, range_max=num_classes).'],
      ['TF.js', 'none: TF.js has no sampled softmax, NCE or candidate sampler', 'Read the class table with dataSync() and call xent\'s function below; it returns the gradient rows to apply.'],
      ['PyTorch', 'none: torch.nn has no sampled softmax', 'nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs) is PyTorch\'s built-in for large vocabularies, a different method: a softmax factored into clusters of classes by frequency, whose loss is exact for that model, not a sampled estimate.'],
      ['xent', `xent.sampledSoftmaxLoss({ ${XENT_ARGS} })`, 'Returns { losses, sampled, grad }: per-example losses, the classes drawn, and the gradient of the summed losses: grad.inputs [batch, dim], and grad.classIds with their rows grad.weights and grad.biases (only the rows used). numTrue, removeAccidentalHits (default true), sampledValues and subtractLogQ as in TF; labels Int32Array [batch, numTrue], or [batch] when numTrue is 1.'],
    ] },
    { id: 'nce', label: 'NCE (noise-contrastive estimation)', rows: [
      ['Keras 3', 'none: keras.losses has no NCE loss', 'As for sampled softmax: with the TensorFlow backend, call tf.nn.nce_loss where the class weights are.'],
      ['tf.nn', 'tf.nn.nce_loss(weights=W, biases=b, labels=y, inputs=h, num_sampled=64, num_classes=C, num_true=1, sampled_values=None, remove_accidental_hits=False)', 'The same shapes; no seed argument (draw the sample with tf.random.log_uniform_candidate_sampler(..., seed=...) and pass it as sampled_values). With num_true > 1 each true column\'s target is 1/num_true. TensorFlow\'s documentation evaluates an NCE-trained model with the full sigmoid cross-entropy summed over the classes.'],
      ['TF.js', 'none: TF.js has no NCE loss', ''],
      ['PyTorch', 'none: torch.nn has no NCE loss', ''],
      ['xent', `xent.nceLoss({ ${XENT_ARGS} })`, 'The same options and result as sampledSoftmaxLoss; removeAccidentalHits defaults to false, as in TF (true gives what TF calls sampled logistic).'],
    ] },
    { id: 'sampler', label: 'the sampler alone (log-uniform candidates)', rows: [
      ['Keras 3', 'none: no candidate sampler in Keras', ''],
      ['tf.nn', 'tf.random.log_uniform_candidate_sampler(true_classes=y, num_true=1, num_sampled=64, unique=True, range_max=C, seed=None)', 'Returns (sampled_candidates, true_expected_count, sampled_expected_count), the sampled_values both losses take.'],
      ['TF.js', 'none: TF.js has no candidate sampler', ''],
      ['PyTorch', 'none: torch has no log-uniform candidate sampler', ''],
      ['xent', 'xent.logUniformCandidateSampler({ trueClasses: labels, numTrue: 1, numSampled: 64, rangeMax: numClasses, seed: step })', 'Returns { sampledCandidates, trueExpectedCount, sampledExpectedCount }, which sampledValues takes; with the same seed the losses above draw the same classes.'],
    ] },
  ],
  pitfalls: ['sampled-current-loss', 'sampled-softmax', 'huge-vocabulary'],
  notes: [
    ['Labels of shape [batch] in TensorFlow', 'tf.nn.sampled_softmax_loss and tf.nn.nce_loss take int64 labels of shape [batch_size, num_true]; the candidate sampler and the accidental-hit op require that matrix and reject a vector of class ids with a rank error: reshape it with tf.reshape(y, [-1, 1]). xent takes an Int32Array of [batch, numTrue] ids, or [batch] when numTrue is 1.'],
    ['Classes not numbered by frequency', 'The log-uniform sampler draws small ids most often: P(0) = log 2 / log(numClasses + 1), 6.4% at 50,000 classes, against about 1/(numClasses · log(numClasses + 1)) for the last id. With ids in any other order the sample is spent on arbitrary classes: renumber the classes by decreasing frequency, or pass your own sampledValues.'],
    ['The gradient of a sum', 'The losses are per example (no reduction, as in TF), and xent\'s grad is the gradient of their sum: divide by the batch size for the mean, as the training loop in the README does (lr / batch).'],
    ['The same seed, other classes', 'xent\'s random numbers are its own (SplitMix64, specified in docs/semantics.md 3.5), not TensorFlow\'s: a seed draws the same classes in every xent build but not the classes TF draws. To compare with TF, pass the same sampledValues to both.'],
  ],
});
