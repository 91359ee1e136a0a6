/**
 * The userptr SPI a strategy implements: import a range, pin it for a GPU job, release it; the
 * contract it declares; and the service interface that makes a strategy module discoverable.
 */
package org.userptrlab.core.spi;
