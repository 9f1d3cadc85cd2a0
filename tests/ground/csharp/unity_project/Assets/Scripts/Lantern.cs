using UnityEngine;

// Lampe für die Höhle: »an« bei Nacht, sonst aus – gespeichert in Windows-1252.
public class Lantern : MonoBehaviour
{
    public Light lamp;
    public string label = "Laterne €";

    void Update()
    {
        lamp.enabled = Time.time % 20f > 10f;
    }
}
