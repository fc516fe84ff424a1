/**
 * Spring Boot auto-configuration of RoomKit: properties and the auto-configuration classes that wire the
 * core engine into an application context.
 */
package io.roomkit.spring.boot;
