/** JMH benchmarks of RoomKit and the load tool. */
package io.roomkit.benchmarks;
