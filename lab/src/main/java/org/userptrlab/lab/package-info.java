/**
 * The lab as a library: {@link org.userptrlab.lab.Lab} reads programs, runs them and the catalogue
 * under chosen strategies, kernels and platform profiles, and explores; beside it, what a study
 * computes beyond the harness (the size sweep and its crossovers, the timeline of kernel changes,
 * calibration on the real kernel) and the {@link org.userptrlab.lab.LabReport} the writers render.
 */
package org.userptrlab.lab;
