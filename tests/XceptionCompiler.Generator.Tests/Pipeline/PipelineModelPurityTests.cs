using System.Reflection;
using Microsoft.CodeAnalysis;
using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Plan;
using XceptionCompiler.Generator.Syntax.Model;

namespace XceptionCompiler.Generator.Tests.Pipeline;

/// <summary>
/// Models that flow through the incremental pipeline must hold no compiler objects (they would pin a whole
/// Compilation in memory and defeat caching) and must compare by value.
/// </summary>
public sealed class PipelineModelPurityTests
{
    private static readonly Type[] Forbidden = [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel), typeof(Diagnostic)];

    public static TheoryData<Type> PipelineRoots => new() { typeof(Result<ModelSyntax>), typeof(Result<CompiledNetwork>) };

    [Theory]
    [MemberData(nameof(PipelineRoots))]
    public void PipelineModelsHoldNoCompilerObjectsAndAreEquatable(Type root)
    {
        var visited = new HashSet<Type>();
        var queue = new Queue<Type>([root]);
        var problems = new List<string>();
        while (queue.Count > 0)
        {
            Type type = queue.Dequeue();
            if (!visited.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string))
            {
                continue;
            }

            if (Forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                problems.Add(type.FullName + " is a compiler object");
                continue;
            }

            if (type.Namespace?.StartsWith("XceptionCompiler.Generator", StringComparison.Ordinal) == true && !type.IsInterface)
            {
                bool equatable = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>));
                if (!equatable && !type.IsAbstract)
                {
                    problems.Add(type.FullName + " is not IEquatable");
                }

                // Concrete subtypes of abstract records travel too.
                foreach (Type derived in type.Assembly.GetTypes().Where(t => t.BaseType == type))
                {
                    queue.Enqueue(derived);
                }
            }

            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                queue.Enqueue(argument);
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                queue.Enqueue(field.FieldType.IsArray ? field.FieldType.GetElementType()! : field.FieldType);
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(typeof(EquatableArray<DiagnosticsProbe>).GetGenericTypeDefinition(), visited.Where(t => t.IsGenericType).Select(t => t.GetGenericTypeDefinition()));
    }

    private sealed record DiagnosticsProbe;
}
