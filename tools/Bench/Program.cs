using CloudBus.Bench;
using CloudBus.Bench.Chaos;

// ./bench.sh NAME runs `CloudBus.Bench NAME`; every benchmark prints `name: value` lines.
return args.FirstOrDefault() switch
{
    "ring" => RingBenchmark.Run(),
    "monitor" => await MonitorBenchmark.RunAsync(),
    "ha" => await HaBenchmark.RunAsync(),
    "ha-libvirt" => await HaLibvirtBenchmark.RunAsync(),
    "chaos" => await ChaosBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CloudBus.Bench ring|monitor|ha|ha-libvirt|chaos [--minutes M] [--seed S]");
    return 2;
}
