package io.fitserve.datasets;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Append-only double storage in fixed chunks, so growth never copies and never doubles
 * the peak footprint. The chunks of another instance can be {@link #adopt adopted}
 * without copying (a parallel parse's chunk columns); they may be partly filled.
 * <p>
 * A column that reaches half a {@link #BLOCK} moves its values off the Java heap, into
 * direct buffers of one BLOCK each, and {@link #release()} frees them at once. A whole
 * upload's values held on the heap made G1 grow the heap by hundreds of megabytes per
 * upload, and keep it: they took humongous regions (or, in small chunks, were copied by
 * every young collection until promoted), the old generation crossed G1's marking
 * threshold at each new block, and the pauses of the marking cycles that followed made G1
 * expand the heap (peak RSS climbed from 600 to 900 MB over five uploads of 148 MB). Off
 * the heap, the values cost their own size while the upload runs, and the heap serves
 * only the parse's transient buffers.
 * <p>
 * Blocks are read through {@link #chunk(int)} one chunk ({@link #CHUNK} values) at a
 * time, copied into a small array this instance owns: callers read one chunk, then ask
 * for the next.
 */
final class DoubleChunks {

	private static final int SHIFT = 15;

	/** Values per chunk on the heap (256 KB), and per chunk read from blocks. */
	static final int CHUNK = 1 << SHIFT;

	/**
	 * Chunk size of the columns of a parallel parse's chunk (64 KB): their last chunk is
	 * adopted as it is, so a small one wastes little.
	 */
	static final int SMALL_CHUNK = 1 << 13;

	/** Values per off-heap block (1 MB). */
	static final int BLOCK = 1 << 17;

	/**
	 * Spent chunks of {@link #SMALL_CHUNK} values kept between parses (32 MB at most),
	 * the recycled queue of every column a parallel parse builds (see there). A parse's
	 * chunk columns live while their chunk waits to be appended, long enough to survive a
	 * young collection or two and be copied into the old generation; allocated anew for
	 * each upload, they left tens of megabytes of old garbage per upload, and G1 grew the
	 * heap for it. Reused, they are allocated once.
	 */
	static final Queue<double[]> SPARE_SMALL_CHUNKS = new ArrayBlockingQueue<>(512);

	/** Blocks of {@link #BLOCK} values allocated ahead (see {@link #allocate}); 8 MB. */
	private static final ArrayBlockingQueue<Block> READY = new ArrayBlockingQueue<>(8);

	private static final AtomicBoolean REFILLING = new AtomicBoolean();

	/** Bytes of blocks allocated and not yet freed. */
	private static final AtomicLong LIVE = new AtomicLong();

	private static volatile long limit = Long.MAX_VALUE;

	private static final Cleaner UNCOUNT = Cleaner.create(r -> {
		Thread t = new Thread(r, "fitserve-column-blocks-cleaner");
		t.setDaemon(true);
		return t;
	});

	/** Bytes of blocks freed since the native heap was last trimmed. */
	private static final AtomicLong FREED = new AtomicLong();

	/** Releases whose {@link #afterRelease()} has not run yet. */
	private static final AtomicInteger RELEASES = new AtomicInteger();

	/** Trims asked for so far (tests). */
	static final AtomicInteger TRIMS = new AtomicInteger();

	/** Freed bytes that make a trim worth its cost (a walk of malloc's free lists). */
	static final long TRIM_AFTER = 32L << 20;

	/** The one thread that allocates blocks (see {@link #allocate}). */
	private static final ExecutorService ALLOCATOR = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "fitserve-column-blocks");
		t.setDaemon(true);
		return t;
	});

	/**
	 * sun.misc.Unsafe#invokeCleaner bound to the instance, or null where it is missing.
	 */
	private static final MethodHandle FREE = freeHandle();

	private final int chunkSize;

	private final int blockLength;

	/**
	 * Spent chunks to reuse, or null: a parallel parse's chunk columns take their chunks
	 * from here, and the column they are appended to gives them back once their values
	 * were copied into its blocks, so that a parse allocates its values about once
	 * instead of twice. Shared by a column and its chunk columns.
	 */
	private final Queue<double[]> recycled;

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

	/**
	 * The off-heap blocks, once the values moved there (else null): every block but the
	 * last is full; values added one by one wait in current (a heap chunk) until it is
	 * full or read.
	 */
	private List<Block> blockBuffers;

	private List<DoubleBuffer> blockViews;

	/** Values in the blocks. */
	private int stored;

	/** Where {@link #chunk(int)} copies a block's chunk. */
	private double[] window;

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

	/** With blocks of another length (tests; Integer.MAX_VALUE: never off the heap). */
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

	private static MethodHandle freeHandle() {
		try {
			Class<?> unsafe = Class.forName("sun.misc.Unsafe");
			Field the = unsafe.getDeclaredField("theUnsafe");
			the.setAccessible(true);
			return MethodHandles.lookup()
				.findVirtual(unsafe, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
				.bindTo(the.get(null));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// without it a block's memory comes back when the collector finds it
			// unreachable
			return null;
		}
	}

	/**
	 * A block of direct memory, allocated on one thread: glibc's malloc serves each
	 * thread from an arena of its own and reuses freed memory only within that arena, so
	 * blocks allocated on whichever request thread ran an upload left each arena holding
	 * the memory of an earlier upload (RSS grew by a dataset's size with every upload).
	 * That thread keeps a few blocks of the usual size ready while columns grow, so that
	 * a parse does not wait for it block by block (waiting cost 7% of a parallel parse's
	 * throughput); a release frees them too (see {@link #release()}).
	 */
	private static Block allocate(int bytes) {
		if (bytes == BLOCK * Double.BYTES) {
			Block ready = READY.poll();
			refill();
			if (ready != null) {
				return ready;
			}
		}
		Future<Block> block = ALLOCATOR.submit(() -> newBlock(bytes));
		try {
			return block.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof OutOfMemoryError oom) {
				throw oom;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private static Block newBlock(int bytes) {
		long live = LIVE.addAndGet(bytes);
		if (live > limit) {
			LIVE.addAndGet(-bytes);
			throw new OutOfMemoryError("the columns of the uploads being parsed would take " + live
					+ " bytes off the heap, over fitserve.upload.max-off-heap (" + limit + ")");
		}
		ByteBuffer buffer;
		try {
			buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
		}
		catch (OutOfMemoryError ex) {
			LIVE.addAndGet(-bytes);
			throw ex;
		}
		// a block dropped without a release (an upload abandoned on some error path) is
		// uncounted when the collector finds it, as its memory is freed then
		return new Block(buffer, UNCOUNT.register(buffer, () -> LIVE.addAndGet(-bytes)));
	}

	/**
	 * A block and the action that takes it off {@link #LIVE}, which runs once: when the
	 * block is freed, or when the collector finds it unreachable.
	 */
	private record Block(ByteBuffer buffer, Cleaner.Cleanable uncount) {
	}

	/**
	 * Sets the most bytes of blocks (those kept ready included) alive at once; past it a
	 * new block is an OutOfMemoryError, as past the JVM's direct memory limit. Without a
	 * limit of their own, an upload's values could take as much again as the heap (the
	 * JVM's default direct memory limit) and push a container over its memory limit.
	 */
	static void limit(long bytes) {
		limit = bytes;
	}

	/** The limit (see {@link #limit(long)}). */
	static long limit() {
		return limit;
	}

	/** Bytes of blocks alive now, those kept ready included. */
	static long liveBytes() {
		return LIVE.get();
	}

	/**
	 * Direct memory held by blocks allocated ahead, once the allocator thread has done
	 * what it was asked so far (tests).
	 */
	static long readyBytes() {
		try {
			ALLOCATOR.submit(() -> {
			}).get();
		}
		catch (ExecutionException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		return (long) READY.size() * BLOCK * Double.BYTES;
	}

	/** Tops READY up on the allocator thread, unless it does already. */
	private static void refill() {
		if (READY.remainingCapacity() == 0 || !REFILLING.compareAndSet(false, true)) {
			return;
		}
		ALLOCATOR.execute(() -> {
			try {
				while (READY.remainingCapacity() > 0) {
					READY.offer(newBlock(BLOCK * Double.BYTES));
				}
			}
			catch (OutOfMemoryError ex) {
				// the parse allocates its next block itself, and fails there if it must
			}
			finally {
				REFILLING.set(false);
			}
		});
	}

	/** Whether the values are in off-heap blocks. */
	boolean offHeap() {
		return this.blockBuffers != null;
	}

	void add(double v) {
		if (this.current == null || this.used == this.current.length) {
			if (this.blockBuffers == null && this.size >= this.blockLength / 2) {
				toBlocks();
			}
			if (this.blockBuffers == null) {
				newChunk(this.chunkSize);
			}
			else if (this.current == null) {
				// values added one by one wait here for the blocks
				this.current = new double[this.chunkSize];
				this.used = 0;
			}
			else {
				flush();
			}
		}
		this.current[this.used++] = v;
		this.size++;
	}

	private void newChunk(int length) {
		seal();
		double[] reused = length == this.chunkSize ? reuse() : null;
		this.current = reused != null ? reused : new double[length];
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
		if (this.blockBuffers == null && other.blockBuffers == null
				&& (long) this.size + other.size < this.blockLength / 2) {
			adopt(other);
			return;
		}
		if (this.blockBuffers == null) {
			toBlocks();
		}
		flush();
		if (other.blockBuffers != null) {
			for (int c = 0; c < other.chunkCount(); c++) {
				copyIn(other.chunk(c), other.chunkLength(c));
			}
			other.release();
			return;
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
		this.uniform = true;
		this.blockBuffers = new ArrayList<>();
		this.blockViews = new ArrayList<>();
		for (int c = 0; c < old.size(); c++) {
			copyIn(old.get(c), oldLengths[c]);
			if (old.get(c).length != this.chunkSize) {
				// adopted from a chunk column: its kind of chunk
				giveBack(old.get(c));
			}
			old.set(c, null);
		}
	}

	private double[] reuse() {
		if (this.recycled == null) {
			return null;
		}
		double[] spare = this.recycled.poll();
		if (spare != null && spare.length != this.chunkSize) {
			// another column's size: left for it
			this.recycled.offer(spare);
			return null;
		}
		return spare;
	}

	/** A chunk whose values were copied into blocks. */
	private void giveBack(double[] chunk) {
		if (this.recycled != null) {
			this.recycled.offer(chunk);
		}
	}

	/** Appends n values of src to the blocks. */
	private void copyIn(double[] src, int n) {
		int off = 0;
		while (off < n) {
			int at = this.stored % this.blockLength;
			if (at == 0 && this.stored / this.blockLength == this.blockViews.size()) {
				Block block = allocate(this.blockLength * Double.BYTES);
				this.blockBuffers.add(block);
				this.blockViews.add(block.buffer().asDoubleBuffer());
			}
			DoubleBuffer view = this.blockViews.get(this.stored / this.blockLength);
			int k = Math.min(n - off, this.blockLength - at);
			view.put(at, src, off, k);
			this.stored += k;
			this.size += k;
			off += k;
		}
	}

	/** Moves the values waiting in current into the blocks. */
	private void flush() {
		if (this.current == null || this.used == 0) {
			return;
		}
		int n = this.used;
		this.used = 0;
		this.size -= n;
		copyIn(this.current, n);
	}

	/** Records the current heap chunk's length; the next add starts a new chunk. */
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
		if (this.blockBuffers != null) {
			if (i >= this.stored) {
				return this.current[i - this.stored];
			}
			return this.blockViews.get(i / this.blockLength).get(i % this.blockLength);
		}
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
	 * Drops the values: the blocks' memory is freed now, the heap chunks' at the next
	 * young collection. The chunk list's slots are cleared too: while a dead list in the
	 * old generation still points at a chunk, G1 cannot reclaim it at a young collection.
	 */
	void release() {
		this.chunks.clear();
		this.current = null;
		this.size = 0;
		this.starts = null;
		this.window = null;
		List<Block> blocks = this.blockBuffers;
		this.blockBuffers = null;
		this.blockViews = null;
		this.stored = 0;
		if (blocks != null) {
			blocks.forEach(DoubleChunks::free);
			FREED.addAndGet((long) blocks.size() * this.blockLength * Double.BYTES);
			RELEASES.incrementAndGet();
			ALLOCATOR.execute(DoubleChunks::afterRelease);
		}
	}

	/**
	 * On the allocator thread, after a release: frees the blocks kept ready (they were
	 * allocated after the released ones, so they would keep malloc from giving the memory
	 * freed back to the system), and once the last of a burst of releases (an upload's
	 * columns) has freed {@link #TRIM_AFTER} or more, trims the native heap.
	 */
	private static void afterRelease() {
		for (Block ready = READY.poll(); ready != null; ready = READY.poll()) {
			free(ready);
		}
		if (RELEASES.decrementAndGet() == 0 && FREED.get() >= TRIM_AFTER) {
			FREED.set(0);
			TRIMS.incrementAndGet();
			NativeHeap.trim();
		}
	}

	private static void free(Block block) {
		// without FREE the collector frees it later: uncounted now all the same
		block.uncount().clean();
		if (FREE != null) {
			try {
				FREE.invokeExact(block.buffer());
			}
			catch (Throwable ex) {
				// left to the collector
			}
		}
	}

	/** The number of chunks: their values, in order, are the values. */
	int chunkCount() {
		if (this.blockBuffers != null) {
			flush();
			int read = readLength();
			return (this.stored + read - 1) / read;
		}
		return this.chunks.size();
	}

	/**
	 * Chunk c; its first {@link #chunkLength(int) chunkLength(c)} values are in use. A
	 * block's chunk comes back in an array that the next call reuses.
	 */
	double[] chunk(int c) {
		if (this.blockBuffers != null) {
			flush();
			int read = readLength();
			if (this.window == null) {
				this.window = new double[read];
			}
			copyOut((long) c * read, this.window, chunkLength(c));
			return this.window;
		}
		return this.chunks.get(c);
	}

	int chunkLength(int c) {
		if (this.blockBuffers != null) {
			flush();
			int read = readLength();
			return (int) Math.min(read, this.stored - (long) c * read);
		}
		return length(c);
	}

	/** The number of off-heap blocks (0 while the values are on the heap). */
	int blockCount() {
		if (this.blockBuffers == null) {
			return 0;
		}
		flush();
		return this.blockViews.size();
	}

	/**
	 * Block b's values, as a read-only buffer of their own (position 0, limit its
	 * length); valid until {@link #release()}.
	 */
	DoubleBuffer block(int b) {
		flush();
		int length = (int) Math.min(this.blockLength, this.stored - (long) b * this.blockLength);
		return this.blockViews.get(b).slice(0, length).asReadOnlyBuffer();
	}

	/** Values per chunk read from the blocks. */
	private int readLength() {
		return Math.min(CHUNK, this.blockLength);
	}

	/** Copies n values from index from of the blocks into dst. */
	private void copyOut(long from, double[] dst, int n) {
		int off = 0;
		while (off < n) {
			long i = from + off;
			int at = (int) (i % this.blockLength);
			int k = Math.min(n - off, this.blockLength - at);
			this.blockViews.get((int) (i / this.blockLength)).get(at, dst, off, k);
			off += k;
		}
	}

	/**
	 * Copies into one exact-length array, releasing chunks as it goes to keep the peak
	 * low.
	 */
	double[] drain() {
		if (this.blockBuffers != null) {
			flush();
			double[] out = new double[this.stored];
			copyOut(0, out, out.length);
			release();
			return out;
		}
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
