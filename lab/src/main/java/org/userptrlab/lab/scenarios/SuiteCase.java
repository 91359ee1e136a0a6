package org.userptrlab.lab.scenarios;

/** One program of a generated suite: its name (the scenario line's) and its text, as a person would write it. */
record SuiteCase(String name, String text) {}
