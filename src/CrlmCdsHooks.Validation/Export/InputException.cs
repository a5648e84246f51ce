namespace CrlmCdsHooks.Validation.Export;

/// <summary>The input cannot be analysed (a missing directory, an unreadable line, a failed export): the message says what and where.</summary>
public sealed class InputException(string message, Exception? inner = null) : Exception(message, inner);
