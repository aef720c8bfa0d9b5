using System.Text.Json;

namespace Eval360.Providers;

/// <summary>Reads a provider's usage object — <c>{"&lt;input name&gt;": n, "&lt;output name&gt;": n, …}</c> — from a stream event.</summary>
internal static class UsageJson
{
    /// <summary>
    /// Reads the object the reader is on (anything else is skipped): sets <paramref name="present"/> and the two counts
    /// it holds, leaving a count that is missing or not a whole number as it was.
    /// </summary>
    public static void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> inputName, ReadOnlySpan<byte> outputName, ref bool present, ref long input, ref long output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        present = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isInput = reader.ValueTextEquals(inputName);
            bool isOutput = !isInput && reader.ValueTextEquals(outputName);
            reader.Read();
            if ((isInput || isOutput) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
            {
                if (isInput)
                {
                    input = count;
                }
                else
                {
                    output = count;
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
