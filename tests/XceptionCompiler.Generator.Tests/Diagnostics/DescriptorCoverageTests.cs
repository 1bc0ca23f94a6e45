using System.Reflection;
using Microsoft.CodeAnalysis;
using XceptionCompiler.Generator.Diagnostics;

namespace XceptionCompiler.Generator.Tests.Diagnostics;

/// <summary>
/// Every diagnostic the generator can report is an error and has a test here, found by its
/// <c>[Trait("Diagnostic", id)]</c> (also usable as a filter: <c>dotnet test --filter Diagnostic=XC0004</c>).
/// XC9999, the internal error, must never appear, so it has none.
/// </summary>
public sealed class DescriptorCoverageTests
{
    private const string InternalError = "XC9999";

    [Fact]
    public void EveryDescriptorIsAnErrorEnabledByDefault()
    {
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.Descriptors)
        {
            Assert.True(descriptor.DefaultSeverity == DiagnosticSeverity.Error && descriptor.IsEnabledByDefault, descriptor.Id + " should be an error enabled by default");
        }
    }

    [Fact]
    public void EveryDescriptorButTheInternalErrorHasATest()
    {
        var tested = new HashSet<string>(typeof(DescriptorCoverageTests).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(DescriptorCoverageTests).Namespace)
            .SelectMany(type => type.GetMethods().Select(method => (MemberInfo)method).Prepend(type))
            .SelectMany(member => member.GetCustomAttributesData())
            .Where(attribute => attribute.AttributeType == typeof(TraitAttribute) && (string?)attribute.ConstructorArguments[0].Value == "Diagnostic")
            .Select(attribute => (string)attribute.ConstructorArguments[1].Value!));

        string[] untested = DiagnosticDescriptors.Descriptors.Select(d => d.Id).Where(id => id != InternalError && !tested.Contains(id)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(untested.Length == 0, "descriptors without a diagnostics test: " + string.Join(", ", untested));
        Assert.DoesNotContain(InternalError, tested);
    }
}
