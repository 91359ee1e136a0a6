package org.userptrlab.strategy.svm;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract suite over every strategy on this module's class path: the copy baseline and the three svm variants. */
class SvmContractTest extends StrategyContractTest {}
