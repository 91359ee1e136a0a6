package org.userptrlab.lab;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy the examples put on the class path. */
class AllStrategiesContractTest extends StrategyContractTest {}
