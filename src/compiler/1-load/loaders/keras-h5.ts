import { fail } from '../../../util/index.js';
import type { NamedWeight } from '../keras/weights.js';
import { Hdf5File } from './hdf5.js';
import { lowerKerasSource, parseConfigJson, type KerasModelSource } from './keras-source.js';

/**
 * Keras 2 / tf.keras HDF5 (`model.save('m.h5')`, legacy hdf5_format):
 *  - root attributes `model_config` (the Keras JSON), `keras_version`, `backend`;
 *  - `model_weights` with `layer_names`; one group per top-level layer whose
 *    `weight_names` (e.g. `encoder_conv1/kernel:0`) are dataset paths inside it.
 *    A nested model keeps all its layers' weights in its own group.
 *  - `optimizer_weights` and `training_config` when saved with the optimizer: ignored.
 * Weights are handed to the Keras lowering by their names, never by position.
 */
export async function loadKerasH5(file: string): Promise<KerasModelSource> {
  // Optimizer state (saved with model.save(..., include_optimizer=True)) is never read.
  const h5 = await Hdf5File.open(file, file, ['optimizer_weights']);
  const configText = h5.stringAttr('', 'model_config');
  if (configText === undefined) {
    const hint =
      h5.stringListAttr('', 'layer_names') !== undefined
        ? "it holds weights only (model.save_weights); save the whole model with model.save('model.h5')"
        : "it has no 'model_config' attribute; save the model with Keras model.save('model.h5')";
    fail('NOT_A_MODEL', `${file}: an HDF5 file but not a Keras model: ${hint}`);
  }
  const kerasVersion = h5.stringAttr('', 'keras_version') ?? h5.stringAttr('model_weights', 'keras_version');
  if (kerasVersion?.startsWith('1.')) {
    fail(
      'UNSUPPORTED_FORMAT',
      `${file}: saved by Keras ${kerasVersion}; Keras 1 files use another weight layout; load and re-save the model with Keras 2 or later`,
    );
  }
  const backend = h5.stringAttr('', 'backend');
  if (backend !== undefined && backend !== 'tensorflow' && backend !== 'jax' && backend !== 'torch') {
    fail(
      'UNSUPPORTED_FORMAT',
      `${file}: saved with the '${backend}' backend, whose convolution kernels are laid out differently; re-save the model with the TensorFlow backend`,
    );
  }
  const config = parseConfigJson(configText, `${file}: attribute 'model_config'`);
  return lowerKerasSource(file, config, readModelWeights(h5, file), 'keras-h5', kerasVersion);
}

function readModelWeights(h5: Hdf5File, file: string): NamedWeight[] {
  const root = h5.isGroup('model_weights') ? 'model_weights' : undefined;
  if (!root)
    fail(
      'MISSING_WEIGHTS',
      `${file}: has a model config but no 'model_weights' group; save the model with its weights (model.save('model.h5'))`,
    );
  const layerNames = h5.stringListAttr(root, 'layer_names') ?? h5.keys(root) ?? [];
  const weights: NamedWeight[] = [];
  for (const layer of layerNames) {
    const group = `${root}/${layer}`;
    if (!h5.isGroup(group))
      fail(
        'MISSING_WEIGHTS',
        `${file}: 'layer_names' lists layer '${layer}' but there is no group '${group}'; the weights are incomplete, save the model again`,
      );
    for (const weightName of h5.stringListAttr(group, 'weight_names') ?? []) {
      const { shape, data } = h5.floatDataset(`${group}/${weightName}`);
      // tf.keras names a nested model's weights '<layer>/<weight>:0' inside the
      // nested model's group; older Keras prefixed the group name itself.
      const name = weightName.startsWith(`${layer}/`) ? weightName : `${layer}/${weightName}`;
      weights.push({ name, shape, data });
    }
  }
  return weights;
}
