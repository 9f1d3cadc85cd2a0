using System;
using UnityEngine;

/// <summary>
/// Keeps the running score and tells listeners when it changes.
/// </summary>
public class ScoreBoard : MonoBehaviour
{
    /// <summary>The one score board in the scene.</summary>
    public static ScoreBoard Instance { get; private set; }

    /// <summary>Raised with the new total after every change.</summary>
    public event Action<int> ScoreChanged;

    private int score;

    public int Score => score;

    /// <summary>
    /// Adds <paramref name="points"/> to the score.
    /// </summary>
    public void Add(int points)
    {
        score += points;
        ScoreChanged?.Invoke(score);
    }

    /// <summary>Sets the score back to zero.</summary>
    public void ResetScore() => Add(-score);

    private void Awake()
    {
        Instance = this;
    }

    /// <summary>Per-level score targets.</summary>
    public struct Target
    {
        public int Level;
        public int Points;
    }
}
