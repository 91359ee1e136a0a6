package org.userptrlab.strategy.cow;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy on this module's class path: the copy baseline and cow. */
class CowContractTest extends StrategyContractTest {}
