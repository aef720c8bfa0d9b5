namespace Eval360;

/// <summary>Which kind of file a path holds, for <c>Test-Eval360Config -Kind</c>.</summary>
public enum ConfigKind
{
    Auto,
    Scenario,
    Model,
    Judge,
}
