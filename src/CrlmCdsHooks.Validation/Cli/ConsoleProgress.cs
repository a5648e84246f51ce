using CrlmCdsHooks.Validation.Export;

namespace CrlmCdsHooks.Validation.Cli;

/// <summary>A progress bar on one line of stderr, redrawn at most five times a second; silent when stderr is redirected.</summary>
public sealed class ConsoleProgress(TextWriter error) : IProgress<ProgressUpdate>
{
    private const int BarWidth = 30;
    private readonly Lock _gate = new();
    private long _lastDrawn = long.MinValue;
    private bool _drawn;

    /// <inheritdoc />
    public void Report(ProgressUpdate value)
    {
        var now = Environment.TickCount64;
        lock (_gate)
        {
            var finished = value.Total > 0 && value.Done >= value.Total;
            if (now - _lastDrawn < 200 && !finished)
                return;
            _lastDrawn = now;
            var line = value.Total > 0
                ? $"{value.Stage,-12} [{new string('#', (int)(BarWidth * Math.Min(1, (double)value.Done / value.Total))).PadRight(BarWidth)}] {value.Done:N0}/{value.Total:N0} {value.Unit}"
                : $"{value.Stage,-12} {value.Done:N0} {value.Unit}";
            error.Write($"\r{line,-78}");
            _drawn = true;
        }
    }

    /// <summary>Ends the progress line so later messages start on their own line.</summary>
    public void Finish()
    {
        lock (_gate)
            if (_drawn)
            {
                error.WriteLine();
                _drawn = false;
            }
    }
}
