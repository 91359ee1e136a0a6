/**
 * The contract every userptr strategy must pass, as a JUnit 5 suite ({@link org.userptrlab.testkit.StrategyContractTest})
 * that a strategy module's tests extend, and the rig strategy tests share ({@link org.userptrlab.testkit.StrategyRig}).
 * A third party's strategy runs the same suite by depending on this artefact in test scope.
 */
package org.userptrlab.testkit;
