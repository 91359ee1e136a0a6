package com.example.bounce;

import org.userptrlab.testkit.StrategyContractTest;

/** The contract every strategy must pass, over every strategy on this project's class path, bounce among them. */
class BounceContractTest extends StrategyContractTest {}
