using System;
using UnityEngine;

public class Health : MonoBehaviour
{
    [SerializeField] private int maximum = 10;
    public int Current { get; private set; }
    public event Action<int> Changed;

    public bool IsDead { get { return Current <= 0; } }

    void Awake()
    {
        Current = maximum;
    }

    public void Damage(int amount)
    {
        Current = Mathf.Max(0, Current - amount);
        if (Changed != null) Changed(Current);
    }
}
