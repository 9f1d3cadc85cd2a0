using UnityEngine;

public class Scoreboard : MonoBehaviour
{
    public ScoreLabel label;
    int score;

    public void Add(int points)
    {
        score += points;
        label.Show(score);
    }
}
