using CrlmCdsHooks.Validation.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await ValidationCommand.RunAsync(args, Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected, cancellation.Token);
