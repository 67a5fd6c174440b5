namespace CrisisSim.Model.Components;

/// <summary>A growable ring of integers, usable as a queue from either end.</summary>
internal sealed class IntDeque
{
    private int[] _items = new int[16];
    private int _head;

    public int Count { get; private set; }

    public int PeekFront() => _items[_head];

    public void PushBack(int value)
    {
        if (Count == _items.Length)
        {
            Grow();
        }
        _items[(_head + Count) & (_items.Length - 1)] = value;
        Count++;
    }

    public void PushFront(int value)
    {
        if (Count == _items.Length)
        {
            Grow();
        }
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = value;
        Count++;
    }

    public int PopFront()
    {
        var value = _items[_head];
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return value;
    }

    public int PopBack()
    {
        Count--;
        return _items[(_head + Count) & (_items.Length - 1)];
    }

    private void Grow()
    {
        var bigger = new int[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        }
        _items = bigger;
        _head = 0;
    }
}
