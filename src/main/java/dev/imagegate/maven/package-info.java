/** The mojos: parameters, skip flags, exceptions turned into helpful failures; nothing else. */
package dev.imagegate.maven;
