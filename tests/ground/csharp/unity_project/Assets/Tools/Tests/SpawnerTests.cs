using NUnit.Framework;

public class SpawnerTests
{
    [Test]
    public void StartsEmpty() { Assert.Pass(); }
}
