/** What the Spring integrations share: calls to the database or Redis bounded in time. */
package io.roomkit.spring.support;
