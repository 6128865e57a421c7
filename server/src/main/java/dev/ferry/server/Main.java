package dev.ferry.server;

public final class Main {
    public static void main(String[] args) {
        System.out.println("ferry " + Runtime.version());
    }
}
