namespace XceptionCompiler.Runtime.Configuration;

/// <summary>
/// Everything a training run is configured by: one property per key of MindCV's train.py (less device_target), with
/// its defaults, so MindCV's YAML files load here unchanged. Immutable with value equality: derive variants with
/// <c>with</c>. Read one with <see cref="ConfigLoader"/>; <see cref="ConfigKeys.All"/> describes the keys.
/// <para>
/// Keys this project does not implement (distributed training, mixed precision, mixup, ...) are accepted all the
/// same, because MindCV's own recipes set them: whoever runs the training decides whether a value can be honoured.
/// <c>device</c> and <c>threads</c> are ours. Defaults are MindCV's config.py's except <c>model</c>, whose
/// MindCV default (mobilenet_v2_035_224) is not a network this project compiles.
/// </para>
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Every key at its default.</summary>
    public static TrainConfig Default { get; } = new();

    // system
    /// <summary><c>mode</c>: MindSpore's execution mode: 0 = graph, 1 = PyNative. Accepted so MindCV configs load; compiled
    /// networks have one mode.</summary>
    public int Mode { get; init; } = 0;

    /// <summary><c>distribute</c>: Data-parallel training over several devices (MindCV launches it with mpirun or msrun).</summary>
    public bool Distribute { get; init; } = false;

    /// <summary><c>num_parallel_workers</c>: Worker threads that load and augment images.</summary>
    public int NumParallelWorkers { get; init; } = 8;

    /// <summary><c>val_while_train</c>: Evaluate on the validation split while training, every val_interval epochs.</summary>
    public bool ValWhileTrain { get; init; } = false;

    /// <summary><c>val_interval</c>: Epochs between validations while training.</summary>
    public int ValInterval { get; init; } = 1;

    /// <summary><c>log_interval</c>: Steps between training log lines.</summary>
    public int LogInterval { get; init; } = 100;

    /// <summary><c>seed</c>: Seed for every random choice: shuffling, augmentation, initialization, dropout.</summary>
    public int Seed { get; init; } = 42;

    /// <summary><c>device</c>: Where to train: auto (a usable GPU, else the CPU), cpu or gpu. Ours; MindCV's counterpart is
    /// device_target.</summary>
    public string Device { get; init; } = "auto";

    /// <summary><c>threads</c>: CPU threads for the kernels; 0 = one per core. Ours.</summary>
    public int Threads { get; init; } = 0;

    // dataset
    /// <summary><c>dataset</c>: Dataset name: imagenet (a folder per split holding a folder per class) or fashion_mnist, for
    /// example.</summary>
    public string Dataset { get; init; } = "imagenet";

    /// <summary><c>data_dir</c>: Root folder of the dataset; '' = the dataset's default location (fashion_mnist:
    /// /usr/share/datasets/fashion-mnist).</summary>
    public string DataDir { get; init; } = "./";

    /// <summary><c>shuffle</c>: Shuffle the training samples every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary><c>dataset_download</c>: Download the dataset first (MindCV: mnist, cifar10, cifar100 only).</summary>
    public bool DatasetDownload { get; init; } = false;

    /// <summary><c>batch_size</c>: Images per step on each device; the global batch is batch_size x devices (scale lr with it).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary><c>drop_remainder</c>: Drop the last training batch of an epoch when it is smaller than batch_size.</summary>
    public bool DropRemainder { get; init; } = true;

    /// <summary><c>num_samples</c>: Train on only this many samples; null = all of them.</summary>
    public int? NumSamples { get; init; } = null;

    /// <summary><c>train_split</c>: Name of the training split (a subfolder of data_dir for imagenet).</summary>
    public string TrainSplit { get; init; } = "train";

    /// <summary><c>val_split</c>: Name of the validation split.</summary>
    public string ValSplit { get; init; } = "val";

    /// <summary><c>eval_shuffle</c>: Shuffle the validation samples.</summary>
    public bool EvalShuffle { get; init; } = false;

    // augmentation
    /// <summary><c>image_resize</c>: Side in pixels of the square training crop and of the validation center crop.</summary>
    public int ImageResize { get; init; } = 224;

    /// <summary><c>scale</c>: Random resized crop: [min, max] area of the crop as a fraction of the image.</summary>
    public ValueList<double> Scale { get; init; } = [0.08, 1.0];

    /// <summary><c>ratio</c>: Random resized crop: [min, max] aspect ratio (width / height) of the crop.</summary>
    public ValueList<double> Ratio { get; init; } = [0.75, 1.333];

    /// <summary><c>hflip</c>: Probability of a horizontal flip.</summary>
    public double Hflip { get; init; } = 0.5;

    /// <summary><c>vflip</c>: Probability of a vertical flip.</summary>
    public double Vflip { get; init; } = 0.0;

    /// <summary><c>color_jitter</c>: Colour jitter when auto_augment is null: one strength for brightness, contrast and
    /// saturation, or [brightness, contrast, saturation] or [..., hue]; 0 = off.</summary>
    public ValueList<double> ColorJitter { get; init; } = [0.4];

    /// <summary><c>interpolation</c>: Resampling used when resizing: bilinear, bicubic, nearest or area.</summary>
    public string Interpolation { get; init; } = "bilinear";

    /// <summary><c>auto_augment</c>: Augmentation policy: null = none; randaug-m9-mstd0.5 (RandAugment), autoaug (AutoAugment),
    /// autoaugr, 3a, augmix or trivialaugwide, with timm-style options after dashes.</summary>
    public string? AutoAugment { get; init; } = null;

    /// <summary><c>aug_splits</c>: Augmentation splits for AugMix: 0 = off, or 3.</summary>
    public int AugSplits { get; init; } = 0;

    /// <summary><c>re_prob</c>: Probability of random erasing.</summary>
    public double ReProb { get; init; } = 0.0;

    /// <summary><c>re_scale</c>: Random erasing: [min, max] erased area as a fraction of the image.</summary>
    public ValueList<double> ReScale { get; init; } = [0.02, 0.33];

    /// <summary><c>re_ratio</c>: Random erasing: [min, max] aspect ratio of the erased area.</summary>
    public ValueList<double> ReRatio { get; init; } = [0.3, 3.3];

    /// <summary><c>re_value</c>: Random erasing fill: a pixel value (0-255) or 'random' for per-pixel noise.</summary>
    public string ReValue { get; init; } = "0";

    /// <summary><c>re_max_attempts</c>: Random erasing: attempts to place the area before giving up on the image.</summary>
    public int ReMaxAttempts { get; init; } = 10;

    /// <summary><c>mean</c>: Per-channel mean subtracted from pixels in 0-255 units (default: ImageNet's, 0.485/0.456/0.406 x
    /// 255).</summary>
    public ValueList<double> Mean { get; init; } = [123.675, 116.28, 103.53];

    /// <summary><c>std</c>: Per-channel standard deviation pixels are divided by, in 0-255 units (default: ImageNet's,
    /// 0.229/0.224/0.225 x 255).</summary>
    public ValueList<double> Std { get; init; } = [58.395, 57.12, 57.375];

    /// <summary><c>crop_pct</c>: Validation: resize to image_resize / crop_pct, then center-crop image_resize.</summary>
    public double CropPct { get; init; } = 0.875;

    /// <summary><c>mixup</c>: Mixup's beta distribution parameter alpha; 0 = off (0.2 is usual for ImageNet).</summary>
    public double Mixup { get; init; } = 0.0;

    /// <summary><c>cutmix</c>: CutMix's beta distribution parameter alpha; 0 = off.</summary>
    public double Cutmix { get; init; } = 0.0;

    /// <summary><c>cutmix_prob</c>: Probability of applying mixup or CutMix to a batch when either is on.</summary>
    public double CutmixProb { get; init; } = 1.0;

    /// <summary><c>aug_repeats</c>: Repeated augmentation: each sample appears this many times per epoch; 0 or 1 = off (3 is
    /// usual).</summary>
    public int AugRepeats { get; init; } = 0;

    // model
    /// <summary><c>model</c>: Network to train (see 'xception models'). MindCV's default is mobilenet_v2_035_224; ours is
    /// xception.</summary>
    public string Model { get; init; } = "xception";

    /// <summary><c>num_classes</c>: Number of classes; null = the dataset's.</summary>
    public int? NumClasses { get; init; } = null;

    /// <summary><c>in_channels</c>: Input image channels.</summary>
    public int InChannels { get; init; } = 3;

    /// <summary><c>drop_rate</c>: Dropout rate before the classifier; null = the model's own (0.5 for xception).</summary>
    public double? DropRate { get; init; } = null;

    /// <summary><c>drop_path_rate</c>: Stochastic depth rate; null = the model's own.</summary>
    public double? DropPathRate { get; init; } = null;

    /// <summary><c>pretrained</c>: Start from the model's published pretrained weights.</summary>
    public bool Pretrained { get; init; } = false;

    /// <summary><c>ckpt_path</c>: Checkpoint to initialize from ('' = none); with resume_opt, training resumes from it.</summary>
    public string CkptPath { get; init; } = "";

    /// <summary><c>resume_opt</c>: Resume from ckpt_path: restore the optimizer state and take the start epoch from the
    /// checkpoint's name.</summary>
    public bool ResumeOpt { get; init; } = false;

    /// <summary><c>keep_checkpoint_max</c>: Checkpoints kept in ckpt_save_dir.</summary>
    public int KeepCheckpointMax { get; init; } = 10;

    /// <summary><c>ckpt_save_dir</c>: Folder the checkpoints are written to.</summary>
    public string CkptSaveDir { get; init; } = "./ckpt";

    /// <summary><c>ckpt_save_interval</c>: Epochs between checkpoints.</summary>
    public int CkptSaveInterval { get; init; } = 1;

    /// <summary><c>ckpt_save_policy</c>: Which keep_checkpoint_max checkpoints to keep: latest_k (the newest) or top_k (the best
    /// validation accuracy).</summary>
    public string CkptSavePolicy { get; init; } = "latest_k";

    /// <summary><c>epoch_size</c>: Epochs to train.</summary>
    public int EpochSize { get; init; } = 90;

    /// <summary><c>dataset_sink_mode</c>: MindSpore's dataset sinking to the device. Accepted so MindCV configs load.</summary>
    public bool DatasetSinkMode { get; init; } = true;

    /// <summary><c>amp_level</c>: Mixed precision in training: O0 = all fp32, O1 = listed ops in fp16, O2 = all but listed ops
    /// in fp16, O3 = all fp16.</summary>
    public string AmpLevel { get; init; } = "O0";

    /// <summary><c>val_amp_level</c>: Mixed precision in validation, as amp_level.</summary>
    public string ValAmpLevel { get; init; } = "O0";

    /// <summary><c>amp_cast_list</c>: MindSpore cells to cast for O1 or O2, replacing the built-in list; null = the built-in
    /// list.</summary>
    public string? AmpCastList { get; init; } = null;

    // loss
    /// <summary><c>loss</c>: Loss function: CE (softmax cross-entropy) or BCE (binary cross-entropy).</summary>
    public string Loss { get; init; } = "CE";

    /// <summary><c>label_smoothing</c>: Label smoothing: the true class gets 1 - label_smoothing plus its share of
    /// label_smoothing spread over all classes.</summary>
    public double LabelSmoothing { get; init; } = 0.0;

    /// <summary><c>aux_factor</c>: Weight of auxiliary classifier losses (networks with auxiliary heads only).</summary>
    public double AuxFactor { get; init; } = 0.0;

    /// <summary><c>reduction</c>: How per-sample losses become the batch loss: mean or sum.</summary>
    public string Reduction { get; init; } = "mean";

    // lr scheduler
    /// <summary><c>scheduler</c>: Learning-rate schedule: constant, cosine_decay, warmup_cosine_decay, exponential_decay,
    /// polynomial_decay, step_decay, multi_step_decay, one_cycle or cyclic.</summary>
    public string Scheduler { get; init; } = "cosine_decay";

    /// <summary><c>lr</c>: Peak learning rate, reached after warmup (for the global batch: scale it with batch_size x devices).</summary>
    public double Lr { get; init; } = 0.001;

    /// <summary><c>min_lr</c>: Learning rate at the end of the decay, for schedules that have one.</summary>
    public double MinLr { get; init; } = 1e-6;

    /// <summary><c>warmup_epochs</c>: Epochs of linear warmup from warmup_factor x lr to lr, updated every step.</summary>
    public int WarmupEpochs { get; init; } = 3;

    /// <summary><c>warmup_factor</c>: Warmup starts at warmup_factor x lr.</summary>
    public double WarmupFactor { get; init; } = 0.0;

    /// <summary><c>decay_epochs</c>: Epochs of decay after warmup (cosine: usually epoch_size - warmup_epochs); step_decay:
    /// epochs between decays.</summary>
    public int DecayEpochs { get; init; } = 100;

    /// <summary><c>decay_rate</c>: Factor the learning rate is multiplied by at each decay (exponential_decay, step_decay,
    /// multi_step_decay).</summary>
    public double DecayRate { get; init; } = 0.9;

    /// <summary><c>multi_step_decay_milestones</c>: multi_step_decay: epochs, in increasing order, at which the learning rate is
    /// multiplied by decay_rate.</summary>
    public ValueList<int> MultiStepDecayMilestones { get; init; } = [30, 60, 90];

    /// <summary><c>lr_epoch_stair</c>: Change the learning rate once per epoch (at its first step) instead of every step.</summary>
    public bool LrEpochStair { get; init; } = false;

    /// <summary><c>num_cycles</c>: Cosine and cyclic schedules: number of cycles.</summary>
    public int NumCycles { get; init; } = 1;

    /// <summary><c>cycle_decay</c>: Cosine schedules: factor applied to the peak learning rate at each new cycle.</summary>
    public double CycleDecay { get; init; } = 1.0;

    // optimizer
    /// <summary><c>opt</c>: Optimizer: sgd, momentum, adam, adamw, lion, rmsprop, adagrad, lamb or nadam (any case).</summary>
    public string Opt { get; init; } = "adam";

    /// <summary><c>momentum</c>: Momentum of sgd and momentum (and the moving average of others).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary><c>weight_decay</c>: L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-6;

    /// <summary><c>weight_decay_filter</c>: Parameters exempt from weight decay: disable (none), auto (the framework's choice:
    /// normalization parameters), norm_and_bias (normalization parameters and biases).</summary>
    public string WeightDecayFilter { get; init; } = "disable";

    /// <summary><c>use_nesterov</c>: Nesterov momentum.</summary>
    public bool UseNesterov { get; init; } = false;

    /// <summary><c>eps</c>: Term added to denominators of adaptive optimizers for numerical stability.</summary>
    public double Eps { get; init; } = 1e-10;

    /// <summary><c>layer_decay</c>: Layer-wise learning-rate decay; null = off.</summary>
    public double? LayerDecay { get; init; } = null;

    /// <summary><c>loss_scale_type</c>: Loss scaling for mixed precision: fixed (always loss_scale), dynamic (adjusted on
    /// overflow) or auto.</summary>
    public string LossScaleType { get; init; } = "fixed";

    /// <summary><c>loss_scale</c>: Loss scale: the fixed value, or the starting value when dynamic.</summary>
    public double LossScale { get; init; } = 1.0;

    /// <summary><c>drop_overflow_update</c>: Skip the optimizer step when the scaled gradients overflow.</summary>
    public bool DropOverflowUpdate { get; init; } = false;

    /// <summary><c>ema</c>: Keep an exponential moving average of the weights (Polyak averaging) and validate and save it.</summary>
    public bool Ema { get; init; } = false;

    /// <summary><c>ema_decay</c>: Decay of the weight moving average.</summary>
    public double EmaDecay { get; init; } = 0.9999;

    /// <summary><c>clip_grad</c>: Clip gradients by global norm to clip_value.</summary>
    public bool ClipGrad { get; init; } = false;

    /// <summary><c>clip_value</c>: Largest global gradient norm when clip_grad is on.</summary>
    public double ClipValue { get; init; } = 15.0;

    /// <summary><c>gradient_accumulation_steps</c>: Batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
}
