package io.kpsim.cli;

import picocli.CommandLine;

public final class PicoExpD {
    public static void main(String[] a) {
        long t0 = System.nanoTime();
        if (a[0].equals("B")) System.setProperty("picocli.converters.excludes", "java.sql.*,java.time.*");
        CommandLine cli = new CommandLine(KpsimCommand.create(null, Interrupts.none()));
        String[] args = {"run", "x.yaml", "--quiet"};
        Subcommands.register(cli, args);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.parseArgs(args);
        long t2 = System.nanoTime();
        System.out.println(a[0] + " " + (t2 - t0) / 1000);
    }
}
