using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Distill.Cli;

/// <summary>Builds the options every command shares the parsing of: numbers are parsed and range-checked in one step, so
/// that "--epochs abc", "--patience 1e3" or "--seeds 2147483647" are one-line usage errors (exit 2), never a stack trace
/// or an allocation of absurd size; and options renamed for consistency across commands fail with "renamed to".</summary>
public static class CliOptions
{
    /// <summary>The most seeds one invocation trains (each is a full run).</summary>
    public const int MaxSeeds = 1000;

    /// <summary>The widest hidden layer accepted (a 65,536 x 65,536 layer already holds 16 GiB of weights).</summary>
    public const int MaxWidth = 65_536;

    /// <summary>The most epochs, batch rows or patience accepted.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>A whole-number option in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInteger(result, name, minimum, maximum) ?? defaultValue,
        };

    /// <summary>An optional whole-number option in [<paramref name="minimum"/>, <paramref name="maximum"/>] (null when absent).</summary>
    public static Option<int?> OptionalInteger(string name, string description, int minimum, int maximum = int.MaxValue)
        => new(name) { Description = description, CustomParser = result => ParseInteger(result, name, minimum, maximum) };

    /// <summary>One or more whole numbers in [<paramref name="minimum"/>, <paramref name="maximum"/>], at most <paramref name="maxCount"/>
    /// of them, all different when <paramref name="distinct"/>.</summary>
    public static Option<int[]> Integers(string name, string description, int[]? defaultValue, int minimum, int maximum, int maxCount = 64,
                                         bool distinct = false)
    {
        var option = new Option<int[]>(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    result.AddError($"{name} needs one or more whole numbers in {minimum}..{maximum}.");
                    return [];
                }
                if (result.Tokens.Count > maxCount)
                {
                    result.AddError($"{name} takes at most {maxCount} values, got {result.Tokens.Count}.");
                    return [];
                }
                var values = new int[result.Tokens.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    string token = result.Tokens[i].Value;
                    if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
                    {
                        result.AddError($"{name} takes whole numbers, got '{token}'.");
                        return [];
                    }
                    if (values[i] < minimum || values[i] > maximum)
                    {
                        result.AddError($"{name} takes whole numbers in {minimum}..{maximum}, got {values[i]}.");
                        return [];
                    }
                }
                if (distinct && values.Distinct().Count() != values.Length)
                {
                    result.AddError($"{name} names a value twice: {string.Join(" ", values)}.");
                    return [];
                }
                return values;
            },
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>A positive, finite number (a learning rate).</summary>
    public static Option<double> Positive(string name, string description, double defaultValue)
        => new(name) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseNumber(r, name, positive: true) ?? defaultValue };

    /// <summary>An optional positive (or, with <paramref name="positive"/> false, non-negative), finite number.</summary>
    public static Option<double?> OptionalNumber(string name, string description, bool positive)
        => new(name) { Description = description, CustomParser = r => ParseNumber(r, name, positive) };

    /// <summary>The <c>--data</c> option of every command that trains: always the name of a data set, never a path (files
    /// are given with their own options: <c>--csv</c>, <c>--cache</c>, <c>--teacher</c>). Any other value is the usage error
    /// "--data names the data set ('a' or 'b'), got 'x'." followed by <paramref name="hint"/>.</summary>
    /// <param name="description">What each name means.</param>
    /// <param name="names">The data sets, the first the default.</param>
    /// <param name="hint">Where a file of the user's own goes, given the value typed.</param>
    public static Option<string> DataSet(string description, IReadOnlyList<string> names, Func<string, string> hint)
    {
        var option = new Option<string>("--data") { Description = description, DefaultValueFactory = _ => names[0] };
        option.Validators.Add(r =>
        {
            string value = r.Tokens.Count > 0 ? r.Tokens[0].Value : names[0];
            if (!names.Contains(value))
                r.AddError($"--data names the data set ({string.Join(" or ", names.Select(n => $"'{n}'"))}), got '{value}'. {hint(value)}");
        });
        return option;
    }

    /// <summary>Adds a hidden option <paramref name="oldName"/> to <paramref name="command"/> whose use is the usage error
    /// "'old' was renamed to 'new'" (one release of grace for scripts written against the old name).</summary>
    /// <param name="command">The command that had the old option.</param>
    /// <param name="oldName">The old spelling, e.g. <c>--output</c>.</param>
    /// <param name="newName">The new spelling, e.g. <c>--out</c>.</param>
    /// <param name="note">What else changed with the name, or null.</param>
    public static void Renamed(Command command, string oldName, string newName, string? note = null)
    {
        var old = new Option<string[]>(oldName) { Hidden = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        command.Options.Add(old);
        command.Validators.Add(r =>
        {
            if (r.GetResult(old) is not null) r.AddError($"'{oldName}' was renamed to '{newName}'{(note is null ? "." : $": {note}")}");
        });
    }

    private static int? ParseInteger(ArgumentResult result, string name, int minimum, int maximum)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            result.AddError(long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"{name} must be at most {maximum}, got {token}."
                : $"{name} takes a whole number, got '{token}'.");
            return null;
        }
        if (value < minimum)
        {
            result.AddError($"{name} must be at least {minimum}, got {value}.");
            return null;
        }
        if (value > maximum)
        {
            result.AddError($"{name} must be at most {maximum}, got {value}.");
            return null;
        }
        return value;
    }

    private static double? ParseNumber(ArgumentResult result, string name, bool positive)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            result.AddError($"{name} takes a finite number, got '{token}'.");
            return null;
        }
        if (positive ? !(value > 0) : value < 0)
        {
            result.AddError($"{name} must be a {(positive ? "positive" : "non-negative")} number, got {token}.");
            return null;
        }
        return value;
    }
}
