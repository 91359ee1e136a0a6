package org.userptrlab.strategy.backed;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy on this module's class path: the copy baseline and backed. */
class BackedContractTest extends StrategyContractTest {}
