/**
 * The pieces of the Planetoid reader: a restricted unpickler for the few Python types the
 * {@code ind.NAME.*} files contain (numpy arrays and dtypes, scipy CSR matrices, a dict of
 * adjacency lists), and PyG's rules for node order, the test-index permutation and gaps.
 * {@link io.dqspark.loaders.PlanetoidLoader} puts them together.
 */
package io.dqspark.loaders.planetoid;
