using TMPro;
using UnityEngine;

public class ScoreLabel : MonoBehaviour
{
    [SerializeField] TextMeshProUGUI label;

    public void Show(int score)
    {
        label.text = "Score: " + score;
    }
}
