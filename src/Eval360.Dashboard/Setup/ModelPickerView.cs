namespace Eval360.Dashboard.Setup;

/// <summary>One picker table (models or judges): the form field, the choices, and what is picked.</summary>
public sealed record ModelPickerView(string Field, IReadOnlyList<ModelChoice> Choices, IReadOnlyList<string> Selected, string Role);
