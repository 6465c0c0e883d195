package io.fitserve.datasets;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * Append-only double storage in fixed chunks, so growth never copies and never doubles
 * the peak footprint. The chunks of another instance can be {@link #adopt adopted}
 * without copying (a parallel parse's chunk columns); they may be partly filled.
 * <p>
 * A column that reaches half a {@link #BLOCK} moves into blocks of one G1 heap region
 * each: such an array is a humongous object, allocated outside the young generation and
 * never copied by a collection. Small chunks that live through a whole upload are
 * otherwise copied by every young collection until they are promoted, and the garbage
 * they leave in the old generation grew the heap by hundreds of megabytes per upload.
 */
final class DoubleChunks {

	private static final int SHIFT = 15;

	// 256 KB: under half of G1's smallest region (1 MB, used for heaps up to 2 GB), so a
	// chunk is never a humongous object. At 1 << 16 a chunk was 512 KB plus the array
	// header, just over half a region: every chunk took a whole 1 MB region, doubling the
	// footprint of parsed values, and a 1M x 21 ingest ran out of memory at -Xmx400m
	// (fine at -Xmx300m now).
	static final int CHUNK = 1 << SHIFT;

	/**
	 * Chunk size of the columns of a parallel parse's chunk (64 KB): their last chunk is
	 * adopted as it is, so a small one wastes little.
	 */
	static final int SMALL_CHUNK = 1 << 13;

	/**
	 * Values per block: one heap region (G1's region size, 1 MB under other collectors)
	 * less the largest array header, so the array fills exactly one region.
	 */
	static final int BLOCK = blockLength(heapRegionBytes());

	private final int chunkSize;

	private final int blockLength;

	/**
	 * Spent chunks to reuse, or null: a parallel parse's chunk columns take their chunks
	 * from here, and the column they are appended to gives them back once their values
	 * were copied into its blocks, so that a parse allocates its values about once
	 * instead of twice. Shared by a column and its chunk columns.
	 */
	private final Queue<double[]> recycled;

	/** Whether the values are in blocks (half a block or more of them). */
	private boolean blocks;

	private final List<double[]> chunks = new ArrayList<>();

	/** Values in each chunk but the last, which holds used. */
	private int[] lengths = new int[16];

	/** Whether every chunk but the last is full (then get needs no search). */
	private boolean uniform = true;

	/** Start index of each chunk, built by get once chunks were adopted. */
	private int[] starts;

	private double[] current;

	private int used;

	private int size;

	DoubleChunks() {
		this(CHUNK);
	}

	DoubleChunks(int chunkSize) {
		this(chunkSize, BLOCK);
	}

	/** Chunks of chunkSize taken from and given back to recycled (see there). */
	DoubleChunks(int chunkSize, Queue<double[]> recycled) {
		this(chunkSize, BLOCK, recycled);
	}

	/** With blocks of another length (tests). */
	DoubleChunks(int chunkSize, int blockLength) {
		this(chunkSize, blockLength, null);
	}

	DoubleChunks(int chunkSize, int blockLength, Queue<double[]> recycled) {
		this.chunkSize = chunkSize;
		this.blockLength = blockLength;
		this.recycled = recycled;
	}

	/** The values of v, held as they are (no copy); v must not change after. */
	static DoubleChunks wrap(double[] v) {
		DoubleChunks c = new DoubleChunks(CHUNK);
		c.chunks.add(v);
		c.lengths[0] = v.length;
		c.size = v.length;
		c.uniform = false;
		return c;
	}

	static int blockLength(long regionBytes) {
		return (int) ((regionBytes - 24) / Double.BYTES);
	}

	private static long heapRegionBytes() {
		try {
			String region = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.getVMOption("G1HeapRegionSize")
				.getValue();
			long bytes = Long.parseLong(region);
			if (bytes > 0) {
				return bytes;
			}
		}
		catch (RuntimeException | LinkageError ex) {
			// not a HotSpot JVM: the fallback below
		}
		return 1 << 20;
	}

	void add(double v) {
		if (this.current == null || this.used == this.current.length) {
			if (!this.blocks && this.size >= this.blockLength / 2) {
				toBlocks();
			}
			if (this.current == null || this.used == this.current.length) {
				newChunk(this.blocks ? this.blockLength : this.chunkSize);
			}
		}
		this.current[this.used++] = v;
		this.size++;
	}

	private void newChunk(int length) {
		seal();
		double[] reused = length == this.chunkSize ? reuse() : null;
		this.current = reused != null && reused.length == length ? reused : new double[length];
		this.chunks.add(this.current);
		this.used = 0;
		if (length != CHUNK) {
			this.uniform = false;
		}
	}

	/**
	 * Appends all of other's values, other is spent after: its chunks are adopted while
	 * this holds less than half a block, copied into blocks from then on.
	 */
	void addAll(DoubleChunks other) {
		if (!this.blocks && this.size + other.size < this.blockLength / 2) {
			adopt(other);
			return;
		}
		if (!this.blocks) {
			toBlocks();
		}
		other.seal();
		for (int c = 0; c < other.chunks.size(); c++) {
			double[] chunk = other.chunks.get(c);
			copyIn(chunk, other.lengths[c]);
			giveBack(chunk);
		}
		other.chunks.clear();
		other.size = 0;
	}

	/** Copies the values so far into blocks; later values go to blocks too. */
	private void toBlocks() {
		seal();
		List<double[]> old = new ArrayList<>(this.chunks);
		int[] oldLengths = this.lengths;
		this.chunks.clear();
		this.lengths = new int[16];
		this.size = 0;
		this.starts = null;
		this.blocks = true;
		for (int c = 0; c < old.size(); c++) {
			copyIn(old.get(c), oldLengths[c]);
			giveBack(old.get(c));
			old.set(c, null);
		}
	}

	private double[] reuse() {
		return this.recycled != null ? this.recycled.poll() : null;
	}

	/** A chunk whose values were copied into blocks (never a block itself). */
	private void giveBack(double[] chunk) {
		if (this.recycled != null && chunk.length < this.blockLength) {
			this.recycled.offer(chunk);
		}
	}

	private void copyIn(double[] src, int n) {
		int off = 0;
		while (off < n) {
			if (this.current == null || this.used == this.current.length) {
				newChunk(this.blockLength);
			}
			int k = Math.min(n - off, this.current.length - this.used);
			System.arraycopy(src, off, this.current, this.used, k);
			this.used += k;
			this.size += k;
			off += k;
		}
	}

	/** Records the current chunk's length; the next add starts a new chunk. */
	private void seal() {
		if (this.current == null) {
			return;
		}
		int last = this.chunks.size() - 1;
		if (last == this.lengths.length) {
			this.lengths = Arrays.copyOf(this.lengths, last * 2);
		}
		this.lengths[last] = this.used;
		if (this.used != CHUNK) {
			this.uniform = false;
		}
		this.current = null;
		this.starts = null;
	}

	private int length(int chunk) {
		return chunk == this.chunks.size() - 1 && this.current != null ? this.used : this.lengths[chunk];
	}

	/** Appends all of other's values, taking its chunks over; other is empty after. */
	private void adopt(DoubleChunks other) {
		seal();
		other.seal();
		for (int c = 0; c < other.chunks.size(); c++) {
			int at = this.chunks.size();
			if (at == this.lengths.length) {
				this.lengths = Arrays.copyOf(this.lengths, at * 2);
			}
			this.chunks.add(other.chunks.get(c));
			this.lengths[at] = other.lengths[c];
			if (other.lengths[c] != CHUNK) {
				this.uniform = false;
			}
		}
		this.size += other.size;
		this.starts = null;
		other.chunks.clear();
		other.size = 0;
	}

	double get(int i) {
		if (this.uniform) {
			return this.chunks.get(i >>> SHIFT)[i & (CHUNK - 1)];
		}
		if (this.starts == null) {
			this.starts = new int[this.chunks.size()];
			int off = 0;
			for (int c = 0; c < this.starts.length; c++) {
				this.starts[c] = off;
				off += length(c);
			}
		}
		int c = Arrays.binarySearch(this.starts, i);
		if (c < 0) {
			c = -c - 2;
		}
		// empty chunks share their start with the next one
		while (c + 1 < this.starts.length && this.starts[c + 1] == i) {
			c++;
		}
		return this.chunks.get(c)[i - this.starts[c]];
	}

	int size() {
		return this.size;
	}

	/**
	 * Drops the values. The chunk list's slots are cleared too: while a dead list in the
	 * old generation still points at a block, G1 cannot reclaim that block at a young
	 * collection, only after its next marking.
	 */
	void release() {
		this.chunks.clear();
		this.current = null;
		this.size = 0;
		this.starts = null;
	}

	/** The number of chunks: their values, in order, are the values. */
	int chunkCount() {
		return this.chunks.size();
	}

	/** Chunk c; its first {@link #chunkLength(int) chunkLength(c)} values are in use. */
	double[] chunk(int c) {
		return this.chunks.get(c);
	}

	int chunkLength(int c) {
		return length(c);
	}

	/**
	 * Copies into one exact-length array, releasing chunks as it goes to keep the peak
	 * low.
	 */
	double[] drain() {
		if (this.chunks.size() == 1 && length(0) == this.chunks.get(0).length) {
			// one full chunk (a wrapped array): it is the exact-length array already
			double[] out = this.chunks.get(0);
			this.chunks.clear();
			this.current = null;
			this.size = 0;
			return out;
		}
		double[] out = new double[this.size];
		int off = 0;
		for (int c = 0; c < this.chunks.size(); c++) {
			int n = length(c);
			System.arraycopy(this.chunks.get(c), 0, out, off, n);
			this.chunks.set(c, null);
			off += n;
		}
		this.chunks.clear();
		this.current = null;
		this.size = 0;
		return out;
	}

}
