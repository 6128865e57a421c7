package dev.ferry.server.config;

/** Stand-in until the directive table lands. */
public record Directive<T>(String name, T defaultValue) {
}
