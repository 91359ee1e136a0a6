package org.userptrlab.strategy.steal;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy on this module's class path: the copy baseline and steal. */
class StealContractTest extends StrategyContractTest {}
