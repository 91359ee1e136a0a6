package org.userptrlab.examples;

import org.userptrlab.core.contract.StrategyContractTest;

/** The contract suite over every strategy the examples put on the class path. */
class AllStrategiesContractTest extends StrategyContractTest {}
