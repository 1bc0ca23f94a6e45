namespace XceptionCompiler.Runtime.Training;

/// <summary>Top-k accuracy counting: whether the label is among the k largest logits of a row.</summary>
public static class TopK
{
    /// <summary>True when fewer than k classes score strictly higher than the label (ties count in the label's favour, as argmax-based top-k does for distinct values).</summary>
    public static bool Contains(ReadOnlySpan<float> row, int label, int k)
    {
        float score = row[label];
        int higher = 0;
        foreach (float value in row)
        {
            if (value > score && ++higher >= k)
            {
                return false;
            }
        }

        return !float.IsNaN(score);
    }

    /// <summary>The indices of the k largest values, largest first.</summary>
    public static int[] Indices(ReadOnlySpan<float> row, int k)
    {
        int[] order = Enumerable.Range(0, row.Length).ToArray();
        float[] values = row.ToArray();
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]) is int c && c != 0 ? c : a.CompareTo(b));
        return order[..Math.Min(k, order.Length)];
    }
}
