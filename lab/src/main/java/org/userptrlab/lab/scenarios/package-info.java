/**
 * The scenario catalogue and its interpreter: one program in the language for each use case and
 * hazard of the 2012 dri-devel thread, each stating what it expects as promise checks and
 * reporting hazards by kind, and {@link org.userptrlab.lab.scenarios.TextScenario}, which
 * runs any program as a scenario.
 */
package org.userptrlab.lab.scenarios;
