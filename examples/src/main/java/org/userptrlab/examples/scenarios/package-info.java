/**
 * The scenario catalogue: one program for each use case and hazard of the 2012 dri-devel thread,
 * each stating what it expects as promise checks and reporting hazards by kind.
 */
package org.userptrlab.examples.scenarios;
