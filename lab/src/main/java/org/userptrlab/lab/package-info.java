/**
 * What a command computes beyond the harness: the size sweep and its crossovers, sizes and
 * kernels as people write them, and the report one command hands to the writers.
 */
package org.userptrlab.lab;
