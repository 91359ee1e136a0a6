package org.userptrlab.strategy.mlock;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy on this module's class path: the copy baseline and mlock. */
class MlockContractTest extends StrategyContractTest {}
