/** Deleting what is older than the retention period, and the horizon a resume from before it gets resync for. */
package io.notify.notification.retention;
