using XceptionCompiler.Generator.Common;
using XceptionCompiler.Generator.Plan;
using XceptionCompiler.Generator.Tests.Infrastructure;

namespace XceptionCompiler.Generator.Tests.Passes;

/// <summary>
/// The two static memory plans of every model in the repository: each buffer is live wherever a forward step touches
/// it, no two buffers live at the same step share memory, the arena holds either plan, and the evaluation plan (forward
/// lifetimes only) is a small part of the training-sized arena.
/// </summary>
public sealed class MemoryPlanTests
{
    public static TheoryData<string> Models => new() { "tiny.xnet", "mini_xception.xnet", "fashion_xception.xnet", "xception.xnet" };

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryValueIsLiveWheneverAForwardStepTouchesIt(string model)
    {
        CompiledNetwork network = Compile(model);
        foreach ((string name, ArenaPlan plan) in Plans(network))
        {
            var lifetimes = plan.Allocations.Where(a => !a.Gradient).ToDictionary(a => a.Value);
            void AssertLive(int value, int time, string what)
            {
                Assert.True(lifetimes.TryGetValue(value, out Allocation allocation), $"{name}: value {value} ({what}) has no buffer");
                Assert.True(allocation.FirstUse <= time && time <= allocation.LastUse, $"{name}: value {value} ({what}) is live {allocation.FirstUse}..{allocation.LastUse}, not at {time}");
            }

            // What a forward step method declares and touches: its stored input (the input itself, or the input of a
            // batch norm folded into its prologue), residual operand, intermediates and output (unless folded away).
            foreach (FusedStep step in network.Steps)
            {
                AssertLive(step.StoredInput, step.Index, "input of " + step.MethodName);
                if (step.HasResidual)
                {
                    AssertLive(step.Residual, step.Index, "residual of " + step.MethodName);
                }

                foreach (int intermediate in step.Intermediates)
                {
                    AssertLive(intermediate, step.Index, "intermediate of " + step.MethodName);
                }

                if (step.FoldedOutput)
                {
                    Assert.False(lifetimes.ContainsKey(step.Output), $"{name}: the folded output of {step.MethodName} has a buffer");
                }
                else
                {
                    AssertLive(step.Output, step.Index, "output of " + step.MethodName);
                }
            }

            AssertLive(network.Graph.Input.Id, 0, "the network input, copied in before step 0");
            AssertLive(network.Graph.Output.Id, network.Steps.Count - 1, "the logits, copied out after the last step");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void NoTwoBuffersLiveAtTheSameStepShareMemory(string model)
    {
        CompiledNetwork network = Compile(model);
        foreach ((string name, ArenaPlan plan) in Plans(network))
        {
            var problems = new List<string>();
            Allocation[] allocations = plan.Allocations.ToArray();
            foreach (Allocation allocation in allocations)
            {
                if (allocation.Size < network.Graph.Nodes[allocation.Value].Output.Size || allocation.Offset % 16 != 0 || allocation.Offset + allocation.Size > plan.FloatsPerImage)
                {
                    problems.Add($"{Describe(allocation)} is too small, unaligned or past the plan's {plan.FloatsPerImage} floats");
                }
            }

            for (int i = 0; i < allocations.Length; i++)
            {
                for (int j = i + 1; j < allocations.Length; j++)
                {
                    Allocation a = allocations[i];
                    Allocation b = allocations[j];
                    bool together = a.FirstUse <= b.LastUse && b.FirstUse <= a.LastUse;
                    bool overlap = a.Offset < b.Offset + b.Size && b.Offset < a.Offset + a.Size;
                    if (together && overlap)
                    {
                        problems.Add($"{Describe(a)} and {Describe(b)} share memory while both are live");
                    }
                }
            }

            Assert.True(problems.Count == 0, name + " plan of " + model + ":\n" + string.Join("\n", problems.Take(10)));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TheArenaHoldsEitherPlanAndTheEvaluationPlanKeepsNoGradients(string model)
    {
        CompiledNetwork network = Compile(model);

        Assert.True(network.ArenaFloatsPerImage >= network.TrainArena.FloatsPerImage);
        Assert.True(network.ArenaFloatsPerImage >= network.EvalArena.FloatsPerImage);
        Assert.DoesNotContain(network.EvalArena.Allocations, a => a.Gradient);
        Assert.All(network.EvalArena.Allocations, a => Assert.InRange(a.LastUse, 0, network.Steps.Count - 1));
    }

    [Fact]
    public void TheCanonicalEvaluationPlanIsASmallPartOfTheTrainingPlan()
    {
        CompiledNetwork network = Compile("xception.xnet");

        // Training keeps every activation backward reads except the separable steps' depthwise outputs, which backward
        // recomputes, and the outputs of batch norms folded into the next depthwise's prologue, which never exist
        // (33.6 M floats per image; 58.0 M if both were kept). Evaluation peaks at block1's second separable
        // step: its input, depthwise, pointwise and batch-norm outputs (128 x 147 x 147 each) and the skip branch's
        // result, 11.8 M floats.
        long train = network.TrainArena.FloatsPerImage;
        long eval = network.EvalArena.FloatsPerImage;
        Assert.Equal(train, network.ArenaFloatsPerImage);
        Assert.True(train < 35_000_000, $"the training plan takes {train} floats per image: are depthwise outputs kept for backward, or batch-norm outputs stored, again?");
        Assert.True(eval * 2 < train, $"the evaluation plan takes {eval} floats per image, the training plan {train}");
        Assert.True(eval < 12_000_000, $"the evaluation plan takes {eval} floats per image");
    }

    private static CompiledNetwork Compile(string model)
    {
        string path = "models/" + model;
        Result<CompiledNetwork> compiled = XnetGenerator.Compile(XnetGenerator.Parse(path, GeneratorHarness.ReadModel(model)));
        Assert.Empty(compiled.Errors);
        return compiled.Value!;
    }

    private static IEnumerable<(string Name, ArenaPlan Plan)> Plans(CompiledNetwork network) =>
        [("training", network.TrainArena), ("evaluation", network.EvalArena)];

    private static string Describe(Allocation a) =>
        $"{(a.Gradient ? "gradient" : "value")} {a.Value} at {a.Offset}+{a.Size}, live {a.FirstUse}..{a.LastUse}";
}
