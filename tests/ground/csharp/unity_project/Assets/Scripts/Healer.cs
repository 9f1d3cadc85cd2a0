using UnityEngine;

public class Healer : MonoBehaviour
{
    public Health target;

    void OnTriggerEnter(Collider other)
    {
        // Damage takes one amount; a second argument is a wrong overload.
        target.Damage(-2, 0.5f);
    }
}
