package io.dqspark.loaders.planetoid;

/**
 * A Python object that the pickle BUILD opcode fills in after construction (numpy arrays and
 * dtypes, scipy matrices). {@link PickleReader} calls this directly, instead of Pyrolite's
 * reflective {@code __setstate__} lookup, so the state's Java type is checked in one place.
 */
interface PickleState {
  /** Takes the pickled state; throws {@link net.razorvine.pickle.PickleException} if it has the wrong form. */
  void setState(Object state);
}
