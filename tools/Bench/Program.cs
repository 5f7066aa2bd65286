using CloudBus.Bench;

// ./bench.sh NAME runs `CloudBus.Bench NAME`; every benchmark prints `name: value` lines.
return args.FirstOrDefault() switch
{
    "ring" => RingBenchmark.Run(),
    "monitor" => await MonitorBenchmark.RunAsync(),
    "ha" => await HaBenchmark.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CloudBus.Bench ring|monitor|ha");
    return 2;
}
