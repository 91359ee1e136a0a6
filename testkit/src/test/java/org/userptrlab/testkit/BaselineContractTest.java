package org.userptrlab.testkit;

/** The contract over the strategies core itself provides (the copy baseline), as a strategy module runs it. */
class BaselineContractTest extends StrategyContractTest {}
