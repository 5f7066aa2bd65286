using CloudBus.Bench;
using CloudBus.Bench.BadInput;
using CloudBus.Bench.Chaos;

// ./bench.sh NAME runs `CloudBus.Bench NAME`; every benchmark prints `name: value` lines.
return args.FirstOrDefault() switch
{
    "ring" => RingBenchmark.Run(),
    "monitor" => await MonitorBenchmark.RunAsync(),
    "ha" => await HaBenchmark.RunAsync(),
    "ha-libvirt" => await HaLibvirtBenchmark.RunAsync(),
    "chaos" => await ChaosBenchmark.RunAsync(args[1..]),
    "badinput" => await BadInputBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CloudBus.Bench ring|monitor|ha|ha-libvirt|chaos|badinput [--minutes M] [--seed S]");
    return 2;
}
